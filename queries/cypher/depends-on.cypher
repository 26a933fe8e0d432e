// name: depends-on
// description: Every task in which the agency takes part, with its role (lead, directing, coordinating).
// params: agency (agency): the agency, by Vietnamese or English name, alias or id (resolved to $agency_ids)
// returns: task, title, role, group, deadline, plan, agency
MATCH (a:Agency)-[r:LEADS|DIRECTS|COORDINATES]->(t:Task)
WHERE a.id IN $agency_ids
WITH a, t, CASE WHEN r:LEADS THEN 'lead' WHEN r:DIRECTS THEN 'directing' ELSE 'coordinating' END AS role
RETURN t.id AS task, t.title AS title, role, t.group AS group, t.deadline AS deadline,
       t.document AS plan, a.name AS agency
ORDER BY plan, t.position, role, agency, a.id
