// name: document-chain
// description: For each plan read (or the one given), the documents it implements, level by level upwards (1 = the direct parent).
// params: plan (str, default none): a plan id (all plans read when left out); as_of (date, default none): accepted for every named query, but the chain lists documents, not agencies holding work, so the answer does not change (default: each plan's own date)
// returns: plan, level, document, type, number, date, issuer, issuer_jurisdiction
MATCH (d:Document)
WHERE d.read AND ($plan IS NULL OR d.id = $plan)
// Follow each document's first parent (IMPLEMENTS order 0) upwards, stopping before a document seen already.
MATCH path = (d)-[:IMPLEMENTS*1..]->(p:Document)
WHERE all(r IN relationships(path) WHERE r.order = 0)
  AND all(i IN range(1, length(path)) WHERE NOT nodes(path)[i] IN nodes(path)[0..i])
OPTIONAL MATCH (p)-[:ISSUED_BY]->(i:Agency)
RETURN d.id AS plan, length(path) AS level, p.id AS document, p.type AS type, p.number AS number,
       toString(p.date) AS date, i.name AS issuer,
       CASE WHEN i IS NULL THEN NULL ELSE coalesce(i.jurisdiction, 'Việt Nam') END AS issuer_jurisdiction
ORDER BY plan, level
