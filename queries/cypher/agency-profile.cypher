// name: agency-profile
// description: One row per agency the name denotes: names, kind, jurisdiction, load by role, plans and partners (other agencies sharing a task).
// params: agency (agency): the agency, by Vietnamese or English name, alias or id (resolved to $agency_ids)
// returns: agency, agency_en, kind, jurisdiction, lead, directing, coordinating, total, plans, partners, id
MATCH (a:Agency)
WHERE a.id IN $agency_ids
OPTIONAL MATCH (a)-[r:LEADS|DIRECTS|COORDINATES]->(t:Task)
WITH a,
     count(DISTINCT CASE WHEN r:LEADS THEN t END) AS lead,
     count(DISTINCT CASE WHEN r:DIRECTS THEN t END) AS directing,
     count(DISTINCT CASE WHEN r:COORDINATES THEN t END) AS coordinating,
     count(DISTINCT t) AS total,
     count(DISTINCT t.document) AS plans
OPTIONAL MATCH (a)-[:LEADS|DIRECTS|COORDINATES]->(:Task)<-[:LEADS|DIRECTS|COORDINATES]-(p:Agency)
WHERE p <> a
WITH a, lead, directing, coordinating, total, plans, count(DISTINCT p) AS partners
RETURN a.name AS agency, a.name_en AS agency_en, a.kind AS kind, a.jurisdiction AS jurisdiction,
       lead, directing, coordinating, total, plans, partners, a.id AS id
ORDER BY agency, id
