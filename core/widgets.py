"""Form widgets for long lists."""

import html

from django import forms
from django.utils.safestring import mark_safe


def _escaped(value) -> str:
    """The value escaped for HTML, unless it is already safe (the standard library's escape: Django's, lazy-aware,
    costs several times more over thousands of options)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class QuickSelect(forms.Select):
    """A select for lists of hundreds or thousands of options (a filter by member, say), with the markup of
    templates/django/forms/widgets/select.html. The options are written straight from the choices: Django's
    Select builds a dictionary and renders a template for each option, some 0.05 ms an option, which made a
    list of 4,000 members the bulk of its page. A change to that template's markup belongs here too."""

    def render(self, name, value, attrs=None, renderer=None):
        extra = self.build_attrs(self.attrs, attrs)
        css = "form-select" + (f" {extra['class']}" if extra.get("class") else "")
        attributes = "".join(
            f" {_escaped(key)}" if val is True else f' {_escaped(key)}="{_escaped(val)}"'
            for key, val in extra.items()
            if key != "class" and val is not False and val is not None
        )
        selected = set(self.format_value(value))
        parts = [f'<select name="{_escaped(name)}" class="{_escaped(css)}"{attributes}>']
        chosen = False  # a single select marks only its first matching option, as Django's does

        def option(option_value, label) -> str:
            nonlocal chosen
            text = "" if option_value is None else str(option_value)
            mark = text in selected and (self.allow_multiple_selected or not chosen)
            chosen = chosen or mark
            return f'  <option value="{_escaped(text)}"{" selected" if mark else ""}>{_escaped(label)}</option>'

        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(f'  <optgroup label="{_escaped(option_value)}">')
                parts.extend(option(v, sub_label) for v, sub_label in label)
                parts.append("  </optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # every value above is escaped
