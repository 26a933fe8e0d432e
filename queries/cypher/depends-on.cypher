// name: depends-on
// description: Every task in which the agency takes part, with its role (lead, directing, coordinating).
// params: agency (agency): the agency, by Vietnamese or English name, alias or id (resolved to $agency_ids); as_of (date, default none): the tasks the agency holds on this day after the 2025 reorganisation, those moved to it included and those moved away left out (default: each plan's own date)
// returns: task, title, role, group, deadline, plan, agency, jurisdiction
MATCH (n:Agency)-[r:LEADS|DIRECTS|COORDINATES]->(t:Task)
// The role's agency on the day: a holder of the moved work (HOLDS, kg.reorg.holdings), else the one named.
OPTIONAL MATCH (h:Agency)-[x:HOLDS {role: type(r), named: n.id}]->(t)
  WHERE @on_day(x)
WITH coalesce(h, n) AS a, r, t
WHERE a.id IN $agency_ids
// A holder that already had the role on the task has it once.
WITH DISTINCT a, t, CASE WHEN r:LEADS THEN 'lead' WHEN r:DIRECTS THEN 'directing' ELSE 'coordinating' END AS role
RETURN t.id AS task, t.title AS title, role, t.group AS group, t.deadline AS deadline,
       t.document AS plan, a.name AS agency, coalesce(a.jurisdiction, 'Việt Nam') AS jurisdiction
ORDER BY plan, t.position, role, agency, a.id
