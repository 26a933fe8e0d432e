// name: requests
// description: Bodies the plan asks ("Đề nghị …", "Khuyến khích …") rather than assigns, what it asks of them, and the appendix rows that state the same work (none: no row). Requests are not leads. Order: plan, body position, agency, appendix position.
// params: as_of (date, default none): the asked bodies as they hold the work on this day after the 2025 reorganisation (default: each plan's own date)
// returns: plan, section, agency, jurisdiction, text, appendix
MATCH (b:BodyAssignment)-[:ADDRESSED_TO]->(n:Agency)
WHERE b.kind = 'request'
// The addressee on the day: a holder of the moved work (HOLDS, kg.reorg.holdings), else the one named.
OPTIONAL MATCH (h:Agency)-[x:HOLDS {role: 'ADDRESSED_TO', named: n.id}]->(b)
  WHERE @on_day(x)
WITH DISTINCT b, coalesce(h, n) AS a
OPTIONAL MATCH (b)-[:CORRESPONDS_TO]->(t:Task)
RETURN b.document AS plan, b.ref AS section, a.name AS agency, coalesce(a.jurisdiction, 'Việt Nam') AS jurisdiction, b.text AS text, t.id AS appendix
ORDER BY plan, b.position, agency, a.id, t.position
