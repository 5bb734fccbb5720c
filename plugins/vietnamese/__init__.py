"""Vietnamese dates and numbers for the templates, through Babel (no system locale).

Filters: vi_datetime (06/07/2022 | 09:54), vi_date (06/07/2022), vi_weekday (Thứ Tư),
vi_month (Tháng 7/2022), vi_number (13.530), iso (for <time datetime>).
"""

from pelican import signals

from .formatting import FILTERS, parse_settings


def add_filters(generator):
    options = parse_settings(generator.settings)
    generator.env.filters.update(
        {name: (lambda value, f=f: f(value, options)) for name, f in FILTERS.items()}
    )


def register():
    signals.generator_init.connect(add_filters)
