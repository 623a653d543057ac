-- wrk script of tests/bench/run: one file, the workload chosen by its
-- arguments (wrk -s bench.lua URL -- MODE [FILE]):
--   fixed          GET the URL's path as it is (W0, W5)
--   ids FILE       GET /api/v1/results/<random id of FILE> (W2)
--   last FILE      GET /api/v1/results?project=P&case=C&last=10, random
--                  "P C" line of FILE (W3)
--   project FILE   GET /api/v1/results?project=P, random line of FILE (W4)
--   post FILE      POST /api/v1/results, a random body (one JSON per line)
--                  of FILE, with Basic credentials on every request (W1)
-- done() prints one JSON line that tests/bench/run reads.

local lines = {}
local mode = "fixed"
local auth = "Basic b3BuZnY6YXBpQG9wbmZ2" -- opnfv:api@opnfv
local nthreads = 0

function setup(thread)
    nthreads = nthreads + 1
    thread:set("tid", nthreads)
end

function init(args)
    mode = args[1] or "fixed"
    if args[2] then
        for line in io.lines(args[2]) do
            if #line > 0 then
                lines[#lines + 1] = line
            end
        end
    end
    math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
    if mode == "post" then
        wrk.method = "POST"
        wrk.headers["Authorization"] = auth
        wrk.headers["Content-Type"] = "application/json"
    end
end

local function pick()
    return lines[math.random(#lines)]
end

function request()
    if mode == "ids" then
        return wrk.format(nil, "/api/v1/results/" .. pick())
    elseif mode == "last" then
        local p, c = pick():match("^(%S+) (%S+)$")
        return wrk.format(nil, "/api/v1/results?project=" .. p .. "&case=" ..
                              c .. "&last=10")
    elseif mode == "project" then
        return wrk.format(nil, "/api/v1/results?project=" .. pick())
    elseif mode == "post" then
        return wrk.format(nil, "/api/v1/results", nil, pick())
    end
    return wrk.format(nil, nil)
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        '\nBENCH {"requests":%d,"duration_us":%d,"bytes":%d,' ..
        '"p50_us":%d,"p99_us":%d,"max_us":%d,"status_errors":%d,' ..
        '"socket_errors":%d}\n',
        summary.requests, summary.duration, summary.bytes,
        latency:percentile(50), latency:percentile(99), latency.max,
        e.status, e.connect + e.read + e.write + e.timeout))
end
