"""The oracle daemon: watches the coordinator, proves with the ECVRF math of the oracle package and
sends fulfilments. A process apart from the math, which never imports it."""
