// name: requests
// description: Bodies the plan asks ("Đề nghị …", "Khuyến khích …") rather than assigns, what it asks of them, and the appendix rows that state the same work (none: no row). Requests are not leads. Order: plan, body position, agency, appendix position.
// params: none
// returns: plan, section, agency, text, appendix
MATCH (b:BodyAssignment)-[:ADDRESSED_TO]->(a:Agency)
WHERE b.kind = 'request'
OPTIONAL MATCH (b)-[:CORRESPONDS_TO]->(t:Task)
RETURN b.document AS plan, b.ref AS section, a.name AS agency, b.text AS text, t.id AS appendix
ORDER BY plan, b.position, agency, a.id, t.position
