"""Running the app as replicas behind a load balancer (see docs/deployment.md)."""
