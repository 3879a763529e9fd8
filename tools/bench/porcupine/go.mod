module stateproof.dev/bench/porcupine

go 1.18
