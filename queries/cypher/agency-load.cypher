// name: agency-load
// description: Agencies ranked by load: tasks led, directed, coordinated, total (distinct tasks); collectives left out unless asked.
// params: collectives (bool, default false): include collective participants ("Các Sở, ngành…"); as_of (date, default none): count each task for the agencies holding it on this day (default: each plan's own date)
// returns: agency, jurisdiction, agency_en, kind, lead, directing, coordinating, total, id
MATCH (n:Agency)-[r:LEADS|DIRECTS|COORDINATES]->(t:Task)
// As of the day (the plan's own date by default) the work may have moved: HOLDS (kg.reorg.holdings).
OPTIONAL MATCH (h:Agency)-[x:HOLDS {role: type(r), named: n.id}]->(t)
  WHERE @on_day(x)
WITH coalesce(h, n) AS a, r, t
WHERE $collectives OR NOT a:Collective
WITH a,
     count(DISTINCT CASE WHEN r:LEADS THEN t END) AS lead,
     count(DISTINCT CASE WHEN r:DIRECTS THEN t END) AS directing,
     count(DISTINCT CASE WHEN r:COORDINATES THEN t END) AS coordinating,
     count(DISTINCT t) AS total
RETURN a.name AS agency, coalesce(a.jurisdiction, 'Việt Nam') AS jurisdiction, a.name_en AS agency_en, a.kind AS kind,
       lead, directing, coordinating, total, a.id AS id
ORDER BY total DESC, lead DESC, agency, id
