"""Filling the template a higher office sends (报送模板): find its header, map its columns
to Tiers fields once (remembered per layout), fill the rows below with openpyxl keeping the
template's title, merged cells, formats, formulas and print setup."""
