#!/bin/sh
# 23-instances.sh - the long case of tests/e2e/23-instances.sh: two and three
# instances started together, 3 trials each, over 300 drops a trial.
INSTANCES_TRIALS=${INSTANCES_TRIALS:-3} INSTANCES_PER_PD=${INSTANCES_PER_PD:-60} \
	exec sh "$(dirname "$0")/../e2e/23-instances.sh"
