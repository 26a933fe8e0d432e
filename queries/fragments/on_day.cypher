// fragment: on_day(holding)
// description: The HOLDS relationship holding (kg.reorg.holdings) covers the day the query asks about:
// $as_of when it is given, else the plan's own date (plan_date). The end (until) is exclusive and absent
// while the holding lasts; a plan without a date is covered by no holding, so it is read as named.
holding.from <= coalesce($as_of, holding.plan_date)
  AND (holding.until IS NULL OR coalesce($as_of, holding.plan_date) < holding.until)
