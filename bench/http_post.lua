-- wrk script for POST /v1/responses (bench/http_bench.sh): every request
-- posts one new response with a unique response_id (thread number and a
-- counter), a detractor score and one of 2,000 customers, so most requests
-- open or attach to a case. TOKEN comes from the environment.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token = os.getenv("TOKEN")
  prefix = os.getenv("PREFIX") or "wrk"
end

function request()
  counter = counter + 1
  local id = prefix .. "-" .. tid .. "-" .. counter
  local body = '{"response_id":"' .. id .. '","customer_id":"W' .. (counter % 2000) ..
      '","customer_name":"Customer","segment":"smb","arr":5000,"score":' .. (counter % 7) ..
      ',"comment":"slow support","responded_at":"2026-11-01T09:00:00Z"}'
  return wrk.format("POST", "/v1/responses",
      {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end

