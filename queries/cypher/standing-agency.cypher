// name: standing-agency
// description: The standing agency of each plan (cơ quan thường trực / đầu mối): the body that monitors the whole plan and reports on it, and the body item that says so. Order: plan, body position, agency.
// params: as_of (date, default none): the standing agency as it holds the work on this day after the 2025 reorganisation (default: each plan's own date)
// returns: plan, agency, jurisdiction, section
MATCH (b:BodyAssignment)-[:ADDRESSED_TO]->(n:Agency)
WHERE b.kind = 'standing'
// The addressee on the day: a holder of the moved work (HOLDS, kg.reorg.holdings), else the one named.
OPTIONAL MATCH (h:Agency)-[x:HOLDS {role: 'ADDRESSED_TO', named: n.id}]->(b)
  WHERE @on_day(x)
WITH DISTINCT b, coalesce(h, n) AS a
RETURN b.document AS plan, a.name AS agency, coalesce(a.jurisdiction, 'Việt Nam') AS jurisdiction, b.ref AS section
ORDER BY plan, b.position, agency, a.id
