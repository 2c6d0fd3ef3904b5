"""What money operations take and answer: platform fees, payouts, the ledger report."""
