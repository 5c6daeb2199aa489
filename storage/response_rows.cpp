// Responses, churn events and customers: the rows an import writes. Each
// insert is a single idempotent statement (ON CONFLICT DO NOTHING), so a
// re-imported file writes nothing and needs no lookup first.

#include "storage/sqlite_errors.h"
#include "storage/sqlite_transaction.h"

namespace turnaround::storage {

Result<bool> SqliteTransaction::insert_response(const Response& r, Instant received_at) {
  return guarded("insert_response", [&]() -> Result<bool> {
    auto s = use(Sql::kInsertResponse);
    bind_text(*s, 1, r.response_id.value);
    bind_text(*s, 2, r.customer_id.value);
    bind_text(*s, 3, r.customer_name);
    bind_text(*s, 4, r.segment);
    s->bind(5, r.arr);
    s->bind(6, r.score);
    bind_text(*s, 7, r.comment);
    bind_instant(*s, 8, r.responded_at);
    bind_instant(*s, 9, received_at);
    if (s->exec() != 1) return false;
    count_response(r);
    return true;
  });
}

Result<bool> SqliteTransaction::insert_churn(const ChurnEvent& e, Instant received_at) {
  return guarded("insert_churn", [&]() -> Result<bool> {
    auto s = use(Sql::kInsertChurn);
    bind_text(*s, 1, e.customer_id.value);
    bind_instant(*s, 2, e.lost_at);
    bind_text(*s, 3, e.reason);
    s->bind(4, e.arr);
    bind_instant(*s, 5, received_at);
    return s->exec() == 1;
  });
}

Status SqliteTransaction::upsert_customer(const Customer& c) {
  return guarded("upsert_customer", [&]() -> Status {
    auto s = use(Sql::kUpsertCustomer);
    bind_text(*s, 1, c.id.value);
    bind_text(*s, 2, c.name);
    bind_text(*s, 3, c.segment);
    s->bind(4, c.arr);
    bind_text(*s, 5, c.account_owner.value);
    s->bind(6, c.lost ? 1 : 0);
    s->exec();
    return Status();
  });
}

Result<std::optional<Customer>> SqliteTransaction::find_customer(const CustomerId& id) {
  return guarded("find_customer", [&]() -> Result<std::optional<Customer>> {
    auto s = use(Sql::kFindCustomer);
    bind_text(*s, 1, id.value);
    if (!s->executeStep()) return std::optional<Customer>();
    Customer c;
    c.id = CustomerId(s->getColumn(0).getString());
    c.name = s->getColumn(1).getString();
    c.segment = s->getColumn(2).getString();
    c.arr = s->getColumn(3).getDouble();
    c.account_owner = PersonId(s->getColumn(4).getString());
    c.lost = s->getColumn(5).getInt() != 0;
    return std::optional<Customer>(std::move(c));
  });
}

}  // namespace turnaround::storage
