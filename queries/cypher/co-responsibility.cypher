// name: co-responsibility
// description: Pairs of agencies that share tasks (any role), with the number of shared tasks; each pair once (id_a < id_b).
// params: collectives (bool, default false): include collective participants
// returns: agency_a, agency_b, tasks, id_a, id_b
MATCH (a:Agency)-[:LEADS|DIRECTS|COORDINATES]->(t:Task)<-[:LEADS|DIRECTS|COORDINATES]-(b:Agency)
WHERE a.id < b.id AND ($collectives OR NOT (a:Collective OR b:Collective))
WITH a, b, count(DISTINCT t) AS tasks
RETURN a.name AS agency_a, b.name AS agency_b, tasks, a.id AS id_a, b.id AS id_b
ORDER BY tasks DESC, agency_a, agency_b, id_a, id_b
