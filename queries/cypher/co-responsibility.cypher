// name: co-responsibility
// description: Pairs of agencies that share tasks (any role), with the number of shared tasks; each pair once (id_a < id_b).
// params: collectives (bool, default false): include collective participants; as_of (date, default none): pair the agencies holding the tasks on this day after the 2025 reorganisation (default: each plan's own date)
// returns: agency_a, jurisdiction_a, agency_b, jurisdiction_b, tasks, id_a, id_b
MATCH (n:Agency)-[r:LEADS|DIRECTS|COORDINATES]->(t:Task)
// The role's agency on the day: a holder of the moved work (HOLDS, kg.reorg.holdings), else the one named.
OPTIONAL MATCH (h:Agency)-[x:HOLDS {role: type(r), named: n.id}]->(t)
  WHERE @on_day(x)
WITH DISTINCT coalesce(h, n) AS a, t
WHERE $collectives OR NOT a:Collective
WITH t, collect(a) AS members
UNWIND members AS a
UNWIND members AS b
WITH a, b, t
WHERE a.id < b.id
// Each (a, t) is one row above, so each pair is counted once per task: count(*) needs no set of tasks.
WITH a, b, count(*) AS tasks
RETURN a.name AS agency_a, coalesce(a.jurisdiction, 'Việt Nam') AS jurisdiction_a,
       b.name AS agency_b, coalesce(b.jurisdiction, 'Việt Nam') AS jurisdiction_b, tasks, a.id AS id_a, b.id AS id_b
ORDER BY tasks DESC, agency_a, agency_b, id_a, id_b
