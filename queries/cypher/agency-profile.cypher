// name: agency-profile
// description: One row per agency the name denotes: names, kind, jurisdiction, load by role, plans and partners (other agencies sharing a task).
// params: agency (agency): the agency, by Vietnamese or English name, alias or id (resolved to $agency_ids); as_of (date, default none): the agency's tasks and partners on this day after the 2025 reorganisation, the work moved to it counted and the work moved away not (default: each plan's own date)
// returns: agency, agency_en, kind, jurisdiction, lead, directing, coordinating, total, plans, partners, id
MATCH (a:Agency)
WHERE a.id IN $agency_ids
// The roles a holds on the day: its own unless a HOLDS covering the day moved them away, and the
// roles of others moved to it (HOLDS, kg.reorg.holdings). Both start from a: an OR over every role
// relationship in one MATCH took 46 s at 1,000 plans.
CALL {
  WITH a
  CALL {
    WITH a
    MATCH (a)-[r:LEADS|DIRECTS|COORDINATES]->(t:Task)
    WHERE NOT EXISTS {
      MATCH (:Agency)-[x:HOLDS {role: type(r), named: a.id}]->(t)
      WHERE @on_day(x)
    }
    RETURN type(r) AS role, t
    UNION
    WITH a
    MATCH (a)-[x:HOLDS]->(t:Task)
    WHERE @on_day(x)
    RETURN x.role AS role, t
  }
  RETURN count(DISTINCT CASE WHEN role = 'LEADS' THEN t END) AS lead,
         count(DISTINCT CASE WHEN role = 'DIRECTS' THEN t END) AS directing,
         count(DISTINCT CASE WHEN role = 'COORDINATES' THEN t END) AS coordinating,
         count(DISTINCT t) AS total,
         count(DISTINCT t.document) AS plans,
         collect(DISTINCT t) AS tasks
}
// Partners: the agencies holding any role on those tasks on the same day.
CALL {
  WITH a, tasks
  UNWIND tasks AS u
  MATCH (m:Agency)-[q:LEADS|DIRECTS|COORDINATES]->(u)
  OPTIONAL MATCH (h:Agency)-[y:HOLDS {role: type(q), named: m.id}]->(u)
    WHERE @on_day(y)
  WITH a, coalesce(h, m) AS p
  WHERE p <> a
  RETURN count(DISTINCT p) AS partners
}
RETURN a.name AS agency, a.name_en AS agency_en, a.kind AS kind, coalesce(a.jurisdiction, 'Việt Nam') AS jurisdiction,
       lead, directing, coordinating, total, plans, partners, a.id AS id
ORDER BY agency, id
