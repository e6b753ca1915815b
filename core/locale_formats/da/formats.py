# Danish as the portal writes it: Django's formats, with short dates without leading zeros (1.3.2027).
SHORT_DATE_FORMAT = "j.n.Y"
SHORT_DATETIME_FORMAT = "j.n.Y H:i"
