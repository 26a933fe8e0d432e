// name: reports-to
// description: Who consolidates whose work: each body item that says where its results go ("gửi Sở Nội vụ tổng hợp", "báo cáo UBND Thành phố"), its addressees (none: an item addressed to no named body) and the recipient. Order: plan, body position, agency, recipient.
// params: as_of (date, default none): addressees and recipients as they hold the work on this day after the 2025 reorganisation (default: each plan's own date)
// returns: plan, section, agency, jurisdiction, reports_to, reports_to_jurisdiction
MATCH (b:BodyAssignment)-[:REPORTS_TO]->(rn:Agency)
// Recipient and addressees on the day: holders of the moved work (HOLDS, kg.reorg.holdings), else the ones named.
OPTIONAL MATCH (hr:Agency)-[y:HOLDS {role: 'REPORTS_TO', named: rn.id}]->(b)
  WHERE @on_day(y)
WITH DISTINCT b, coalesce(hr, rn) AS r
OPTIONAL MATCH (b)-[:ADDRESSED_TO]->(n:Agency)
OPTIONAL MATCH (h:Agency)-[x:HOLDS {role: 'ADDRESSED_TO', named: n.id}]->(b)
  WHERE @on_day(x)
WITH DISTINCT b, r, coalesce(h, n) AS a
RETURN b.document AS plan, b.ref AS section, a.name AS agency,
       CASE WHEN a IS NULL THEN NULL ELSE coalesce(a.jurisdiction, 'Việt Nam') END AS jurisdiction,
       r.name AS reports_to, coalesce(r.jurisdiction, 'Việt Nam') AS reports_to_jurisdiction
ORDER BY plan, b.position, agency, a.id, reports_to, r.id
