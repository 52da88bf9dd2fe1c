"""Nothing to administer: the portfolio is read from releases and published reports."""
