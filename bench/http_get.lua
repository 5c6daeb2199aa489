-- wrk script for GET /v1/cases/{id} (bench/http_bench.sh): cycles over case
-- ids 1..CASES with the token of TOKEN.
local counter = 0

function init(args)
  token = os.getenv("TOKEN")
  cases = tonumber(os.getenv("CASES") or "1000")
end

function request()
  counter = counter + 1
  return wrk.format("GET", "/v1/cases/" .. (counter % cases + 1),
      {["Authorization"] = "Bearer " .. token})
end

