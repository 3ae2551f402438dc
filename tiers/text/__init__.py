"""How the domain is put into words: field labels, values as shown, change descriptions."""
