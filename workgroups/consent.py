"""The consent text an interest-list sign-up agrees to, version by version, in every dialogue language.

The newest version here is stored (``ConsentText``) the first time a sign-up form is shown; a new wording is a
new version added below, never a change to one a person has agreed to.
"""

CONSENT_TEXTS: dict[int, dict[str, str]] = {
    1: {
        "text_da": (
            "Jeg giver samtykke til, at sekretariatet for Partnerskab for Offentlige Grønne Indkøb (Miljøstyrelsen) "
            "gemmer mit navn, min e-mailadresse og, hvis jeg oplyser dem, min organisation og mit land, for at sende "
            "mig nyheder om denne nordiske bestillerdialog på e-mail, indtil dialogen slutter, eller jeg framelder "
            "mig. Jeg kan til enhver tid framelde mig og se eller slette mine oplysninger via linket i hver e-mail."
        ),
        "text_en": (
            "I agree that the secretariat of the Partnership for Public Green Procurement (Miljøstyrelsen, the Danish "
            "Environmental Protection Agency) stores my name, my e-mail address and, if I give them, my organisation "
            "and country, to send me news of this Nordic buyer dialogue by e-mail until the dialogue ends or I "
            "unsubscribe. I can unsubscribe, and see or delete my data, at any time through the link in every e-mail."
        ),
        "text_nb": (
            "Jeg samtykker til at sekretariatet for Partnerskab for Offentlige Grønne Indkøb (Miljøstyrelsen, det "
            "danske miljødirektoratet) lagrer navnet mitt, e-postadressen min og, hvis jeg oppgir dem, virksomheten "
            "og landet mitt, for å sende meg nyheter om denne nordiske bestillerdialogen på e-post til dialogen "
            "avsluttes eller jeg melder meg av. Jeg kan når som helst melde meg av og se eller slette opplysningene "
            "mine via lenken i hver e-post."
        ),
        "text_sv": (
            "Jag samtycker till att sekretariatet för Partnerskab for Offentlige Grønne Indkøb (Miljøstyrelsen, den "
            "danska miljömyndigheten) lagrar mitt namn, min e-postadress och, om jag anger dem, min organisation och "
            "mitt land, för att skicka mig nyheter om denna nordiska beställardialog via e-post tills dialogen "
            "avslutas eller jag avregistrerar mig. Jag kan när som helst avregistrera mig och se eller radera mina "
            "uppgifter via länken i varje e-postmeddelande."
        ),
        "text_fi": (
            "Annan suostumukseni siihen, että Partnerskab for Offentlige Grønne Indkøb -kumppanuuden sihteeristö "
            "(Miljøstyrelsen, Tanskan ympäristövirasto) tallentaa nimeni, sähköpostiosoitteeni sekä, jos annan ne, "
            "organisaationi ja maani lähettääkseen minulle sähköpostitse uutisia tästä pohjoismaisesta "
            "tilaajavuoropuhelusta, kunnes vuoropuhelu päättyy tai peruutan tilauksen. Voin milloin tahansa "
            "peruuttaa tilauksen sekä nähdä tai poistaa tietoni jokaisessa sähköpostissa olevan linkin kautta."
        ),
    },
}
