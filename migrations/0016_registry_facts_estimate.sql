-- registry_service_facts returns one row a call, but the planner assumed a thousand (the default for a function that
-- returns a table). decision_facts keeps one generic plan for its lateral call over a batch of questions, and with ten
-- questions estimated at ten thousand rows it chose to hash the whole of service_association and to scan
-- organization in full: at 40,000 associations (a million grants) a single decision spent 4 of its 5 ms there, found
-- with auto_explain while measuring `npm run bench -- decisions`. Said exactly, the plan follows the indexes.
alter function registry_service_facts(bigint, bigint, bigint, bigint, bigint, bigint, date) rows 1;
