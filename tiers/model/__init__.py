"""What the domain is made of: the ORM tables, the reference data (tiers, chains, divisions),
the tier ladder, credit codes, names and their pinyin keys. No I/O beyond reading resources/."""
