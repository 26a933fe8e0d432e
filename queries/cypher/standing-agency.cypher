// name: standing-agency
// description: The standing agency of each plan (cơ quan thường trực / đầu mối): the body that monitors the whole plan and reports on it, and the body item that says so. Order: plan, body position, agency.
// params: none
// returns: plan, agency, section
MATCH (b:BodyAssignment)-[:ADDRESSED_TO]->(a:Agency)
WHERE b.kind = 'standing'
RETURN b.document AS plan, a.name AS agency, b.ref AS section
ORDER BY plan, b.position, agency, a.id
