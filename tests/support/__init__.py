"""What the tests share: Dash request bodies and readers of the answers (``dash``), the page
helpers of the browser tests (``browser``), the spec's formulas the plots are checked against
(``formulas``), a reader of the numbers the app shows (``shown``) and a stand-in for the app
under the entry point (``entry``)."""
