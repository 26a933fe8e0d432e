// name: plan-summary
// description: One row per plan read: identity, number of tasks, groups, agencies and collectives.
// params: none
// returns: plan, type, number, issuer, date, tasks, groups, agencies, collectives
MATCH (d:Document)
WHERE d.read
OPTIONAL MATCH (d)-[:ISSUED_BY]->(i:Agency)
OPTIONAL MATCH (t:Task)-[:PART_OF]->(d)
OPTIONAL MATCH (t)-[:IN_GROUP]->(g:TaskGroup)
OPTIONAL MATCH (t)<-[:LEADS|DIRECTS|COORDINATES]-(a:Agency)
WITH d, i, count(DISTINCT t) AS tasks, count(DISTINCT g.id) AS groups,
     count(DISTINCT CASE WHEN NOT a:Collective THEN a END) AS agencies,
     count(DISTINCT CASE WHEN a:Collective THEN a END) AS collectives
RETURN d.id AS plan, d.type AS type, d.number AS number, i.name AS issuer, toString(d.date) AS date,
       tasks, groups, agencies, collectives
ORDER BY plan
