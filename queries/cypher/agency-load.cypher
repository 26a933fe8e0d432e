// name: agency-load
// description: Agencies ranked by load: tasks led, directed, coordinated, total (distinct tasks); collectives left out unless asked.
// params: collectives (bool, default false): include collective participants ("Các Sở, ngành…")
// returns: agency, agency_en, kind, lead, directing, coordinating, total, id
MATCH (a:Agency)-[r:LEADS|DIRECTS|COORDINATES]->(t:Task)
WHERE $collectives OR NOT a:Collective
WITH a,
     count(DISTINCT CASE WHEN r:LEADS THEN t END) AS lead,
     count(DISTINCT CASE WHEN r:DIRECTS THEN t END) AS directing,
     count(DISTINCT CASE WHEN r:COORDINATES THEN t END) AS coordinating,
     count(DISTINCT t) AS total
RETURN a.name AS agency, a.name_en AS agency_en, a.kind AS kind,
       lead, directing, coordinating, total, a.id AS id
ORDER BY total DESC, lead DESC, agency, id
