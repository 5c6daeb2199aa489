#pragma once
// The loss-review agenda for people and spreadsheets: Markdown and HTML for
// the meeting itself, CSV (one row per listed item, with its section) for
// spreadsheets. JSON is storage/agenda_codec.h's (the stored form).
//
// Every case listed carries its id ("#17") so the meeting can act on it
// (`turnaround review mark 17 --month 2026-11 --as ines.ops`).

#include <string>

#include "engine/agenda.h"

namespace turnaround::api {

std::string agenda_markdown(const Agenda& a, const std::string& company_name);
std::string agenda_html(const Agenda& a, const std::string& company_name);
// Columns: section, group, case_id, customer_id, customer_name, segment,
// arr, state, owner, overdue, detail, count.
std::string agenda_csv(const Agenda& a);

// "json", "md", "csv", "html"; true for those.
bool known_agenda_format(const std::string& format);

}  // namespace turnaround::api
