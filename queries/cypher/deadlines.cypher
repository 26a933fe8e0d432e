// name: deadlines
// description: Tasks due in a period (end date within from..to) or overdue as of a date, one row per responsible agency (lead or directing).
// params: from (date, default none): first due date; to (date, default none): last due date; overdue_as_of (date, default none): list tasks due before this date; as_of (date, default none): the responsible agencies as they hold the tasks on this day after the 2025 reorganisation (default: each plan's own date)
// returns: task, title, deadline, due, agency, jurisdiction, role, plan
MATCH (n:Agency)-[r:LEADS|DIRECTS]->(t:Task)
WHERE t.end IS NOT NULL
  AND ($from IS NULL OR t.end >= $from)
  AND ($to IS NULL OR t.end <= $to)
  AND ($overdue_as_of IS NULL OR t.end < $overdue_as_of)
// The role's agency on the day: a holder of the moved work (HOLDS, kg.reorg.holdings), else the one named.
OPTIONAL MATCH (h:Agency)-[x:HOLDS {role: type(r), named: n.id}]->(t)
  WHERE @on_day(x)
WITH DISTINCT coalesce(h, n) AS a, t, CASE WHEN r:LEADS THEN 'lead' ELSE 'directing' END AS role
RETURN t.id AS task, t.title AS title, t.deadline AS deadline, toString(t.end) AS due,
       a.name AS agency, coalesce(a.jurisdiction, 'Việt Nam') AS jurisdiction, role, t.document AS plan
ORDER BY due, plan, t.position, role, agency, a.id
