"""Identity and consent: the OAuth server, accounts, clients, citizens' consents and access log."""
