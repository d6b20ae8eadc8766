#!/usr/bin/python3
"""The M/M/4 queue of scenarios/validation/mmc.cfg (arrivals 3.6 a minute, service
exponential with mean 1 minute, 4 servers) written in SimPy, the idiomatic way (a
process per customer, a Resource for the servers), for `customs-bench model`.
Runs for the time in which N customers arrive on average and prints what it did:
    /usr/bin/python3 tests/bench/mm4_simpy.py [N]"""
import random
import sys
import time

import simpy

LAMBDA, MU, SERVERS = 3.6, 1.0, 4


def customer(env, servers, rnd, stats):
    arrived = env.now
    with servers.request() as req:
        yield req
        stats[1] += env.now - arrived
        yield env.timeout(rnd.expovariate(MU))
    stats[0] += 1


def source(env, servers, rnd, stats):
    while True:
        yield env.timeout(rnd.expovariate(LAMBDA))
        env.process(customer(env, servers, rnd, stats))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    rnd = random.Random(1)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=SERVERS)
    stats = [0, 0.0]  # departures, total wait
    env.process(source(env, servers, rnd, stats))
    t0 = time.monotonic()
    env.run(until=n / LAMBDA)
    dt = time.monotonic() - t0
    print(f"departures={stats[0]} wait_mean_min={stats[1] / max(stats[0], 1):.4f} seconds={dt:.2f}")


if __name__ == "__main__":
    main()
