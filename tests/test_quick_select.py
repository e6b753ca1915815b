"""The select for long lists writes the same options as the portal's select template, only faster."""

import re

from django import forms

from core.widgets import QuickSelect

CHOICES = [("", "Alle medlemmer"), ("aby", "Aby <Kommune> & co"), ("bby", "Bby Kommune"), ("group", [("c", "Cby")])]


def options(html):
    """The options and groups, whitespace before a tag's end aside (the template leaves a line break there)."""
    return re.findall(r"<option[^>]*>[^<]*</option>|<optgroup[^>]*>", re.sub(r"\s+>", ">", html))


def test_the_same_options_and_attributes_as_the_select_template():
    # given the portal's own select and the quick one, for the same field
    class Form(forms.Form):
        plain = forms.ChoiceField(choices=CHOICES, required=False)
        quick = forms.ChoiceField(choices=CHOICES, required=False, widget=QuickSelect)

    for data in (None, {"plain": "aby", "quick": "aby"}, {"plain": "c", "quick": "c"}):
        form = Form(data)
        plain, quick = str(form["plain"]), str(form["quick"])
        # then they write the same options, escaped, with the same one selected
        assert options(plain) == options(quick)
        assert "Aby &lt;Kommune&gt; &amp; co" in quick
        assert re.search(r'<select name="quick" class="form-select" id="id_quick">', quick)
    assert '<option value="aby" selected>' in str(Form({"quick": "aby"})["quick"])
    assert '<option value="" selected>' in str(Form()["quick"])
