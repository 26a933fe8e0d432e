// name: current-holder
// description: For each task and role assignment, the agency the plan named and the agencies holding that work on a day after the 2025 reorganisation, with the change events followed and their public sources (empty when nothing moved); confirmed is false when an event or transfer on the way is unconfirmed. Order: plan, the task's position, role, named agency.
// params: as_of (date, default today): the day
// returns: plan, task, role, named, jurisdiction, holder, confirmed, events, sources
MATCH (n:Agency)-[r:LEADS|DIRECTS|COORDINATES]->(t:Task)
// The periods covering the day in which others hold the named agency's part (HOLDS, kg.reorg.holdings).
OPTIONAL MATCH (h:Agency)-[x:HOLDS {role: type(r), named: n.id}]->(t)
  WHERE @on_day(x)
WITH n, r, t, collect(h.name) AS held, collect(x) AS covering
WITH n, r, t, CASE WHEN size(covering) = 0 THEN [n.name] ELSE held END AS held, covering,
     reduce(acc = [], y IN covering | acc + y.events) AS events,
     reduce(acc = [], y IN covering | acc + y.sources) AS sources
// Lists sorted and without repeats, as kg.stores.graph.current_holder_rows gives them.
WITH n, r, t, covering,
     COLLECT { UNWIND held AS v WITH DISTINCT v RETURN v ORDER BY v } AS holder,
     COLLECT { UNWIND events AS v WITH DISTINCT v RETURN v ORDER BY v } AS events,
     COLLECT { UNWIND sources AS v WITH DISTINCT v RETURN v ORDER BY v } AS sources
RETURN t.document AS plan, t.id AS task,
       CASE WHEN r:LEADS THEN 'lead' WHEN r:DIRECTS THEN 'directing' ELSE 'coordinating' END AS role,
       n.name AS named, coalesce(n.jurisdiction, 'Việt Nam') AS jurisdiction, holder, all(y IN covering WHERE y.confirmed) AS confirmed, events, sources
ORDER BY plan, t.position, role, named, n.id
