// name: audit-findings
// description: Where a plan's body and its appendix disagree (kg audit): appendix tasks the body never states, body items with no row, lead and coordinator differences, agencies only the body names, collective-only leads, deadlines only the appendix states. Order: plan, the audit's order.
// params: as_of (date, default none): accepted for every named query, but the findings name agencies only as the plan wrote them, so the answer does not change (default: each plan's own date)
// returns: plan, kind, appendix, section, message
MATCH (f:AuditFinding)
RETURN f.document AS plan, f.kind AS kind, f.appendix AS appendix, f.section AS section, f.message AS message
ORDER BY plan, f.position
