// name: reports-to
// description: Who consolidates whose work: each body item that says where its results go ("gửi Sở Nội vụ tổng hợp", "báo cáo UBND Thành phố"), its addressees (none: an item addressed to no named body) and the recipient. Order: plan, body position, agency, recipient.
// params: none
// returns: plan, section, agency, reports_to
MATCH (b:BodyAssignment)-[:REPORTS_TO]->(r:Agency)
OPTIONAL MATCH (b)-[:ADDRESSED_TO]->(a:Agency)
RETURN b.document AS plan, b.ref AS section, a.name AS agency, r.name AS reports_to
ORDER BY plan, b.position, agency, a.id, reports_to, r.id
