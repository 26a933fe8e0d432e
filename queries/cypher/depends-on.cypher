// name: depends-on
// description: Every task in which the agency takes part, with its role (lead, directing, coordinating).
// params: agency (agency): the agency, by Vietnamese or English name, alias or id (resolved to $agency_ids); as_of (date, default none): the tasks the agency holds on this day after the 2025 reorganisation, those moved to it included and those moved away left out (default: each plan's own date)
// returns: task, title, role, group, deadline, plan, agency, jurisdiction
MATCH (a:Agency)
WHERE a.id IN $agency_ids
// Both branches start from the agency (an index look-up), not from every role relationship: its own
// roles unless a HOLDS covering the day moved them away, and the roles of others moved to it
// (HOLDS, kg.reorg.holdings), each as the agency named in the plan has it.
CALL {
  WITH a
  MATCH (a)-[r:LEADS|DIRECTS|COORDINATES]->(t:Task)
  WHERE NOT EXISTS {
    MATCH (:Agency)-[x:HOLDS {role: type(r), named: a.id}]->(t)
    WHERE @on_day(x)
  }
  RETURN type(r) AS kind, t
  UNION
  WITH a
  MATCH (a)-[x:HOLDS]->(t:Task)
  WHERE @on_day(x)
    AND EXISTS { MATCH (n:Agency {id: x.named})-[r]->(t) WHERE type(r) = x.role }
  RETURN x.role AS kind, t
}
// A holder that already had the role on the task has it once.
WITH DISTINCT a, t, CASE kind WHEN 'LEADS' THEN 'lead' WHEN 'DIRECTS' THEN 'directing' ELSE 'coordinating' END AS role
RETURN t.id AS task, t.title AS title, role, t.group AS group, t.deadline AS deadline,
       t.document AS plan, a.name AS agency, coalesce(a.jurisdiction, 'Việt Nam') AS jurisdiction
ORDER BY plan, t.position, role, agency, a.id
