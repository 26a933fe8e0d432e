// name: plan-summary
// description: One row per plan read: identity, number of tasks, groups, agencies and collectives.
// params: as_of (date, default none): count the agencies holding the plan's tasks on this day after the 2025 reorganisation (default: each plan's own date)
// returns: plan, type, number, issuer, issuer_jurisdiction, date, tasks, groups, agencies, collectives
MATCH (d:Document)
WHERE d.read
OPTIONAL MATCH (d)-[:ISSUED_BY]->(i:Agency)
OPTIONAL MATCH (t:Task)-[:PART_OF]->(d)
OPTIONAL MATCH (t)-[:IN_GROUP]->(g:TaskGroup)
OPTIONAL MATCH (t)<-[r:LEADS|DIRECTS|COORDINATES]-(n:Agency)
// The role's agency on the day: a holder of the moved work (HOLDS, kg.reorg.holdings), else the one named.
OPTIONAL MATCH (h:Agency)-[x:HOLDS {role: type(r), named: n.id}]->(t)
  WHERE @on_day(x)
WITH d, i, t, g, coalesce(h, n) AS a
WITH d, i, count(DISTINCT t) AS tasks, count(DISTINCT g.id) AS groups,
     count(DISTINCT CASE WHEN NOT a:Collective THEN a END) AS agencies,
     count(DISTINCT CASE WHEN a:Collective THEN a END) AS collectives
RETURN d.id AS plan, d.type AS type, d.number AS number, i.name AS issuer,
       CASE WHEN i IS NULL THEN NULL ELSE coalesce(i.jurisdiction, 'Việt Nam') END AS issuer_jurisdiction,
       toString(d.date) AS date,
       tasks, groups, agencies, collectives
ORDER BY plan
