# Nomad job demo, exported from the overseer project demo
#
# Did not carry over:
#   - readiness.log (worker): a check cannot read a log line
#   - priority (flaky): start order among waiting processes: Nomad's job priority is about preemption
#   - restart.factor (flaky): Nomad's restart delay is fixed (jitter aside)
#   - readiness.interval (api): 200ms: Nomad checks every 1000ms at most
#   - liveness.interval (cache): 500ms: Nomad checks every 1000ms at most
job "demo" {
  type        = "service"
  datacenters = ["*"]
  meta = {
    "project" = "demo"
  }

  group "api" {
    count = 1
    meta = {
      "app" = "demo"
      "overseer_namespace" = "backend"
      "description" = "the public HTTP API"
    }
    network {
      port "probe" { static = 3100 }
    }
    service {
      name     = "api"
      port     = "probe"
      provider = "nomad"
      check {
        name     = "readiness"
        type     = "http"
        path     = "/health"
        protocol = "http"
        interval = "1s"
        timeout  = "1s"
      }
    }
    restart {
      attempts = 10
      interval = "1m"
      delay    = "1s"
      mode     = "fail"
    }
    reschedule {
      attempts       = 0
      interval       = "0s"
      delay          = "30s"
      delay_function = "exponential"
      max_delay      = "1h"
      unlimited      = false
    }

    task "run-migrate" {
      driver = "raw_exec"
      lifecycle {
        hook    = "prestart"
        sidecar = false
      }
      config {
        command = "/bin/sh"
        args    = ["-c", "cd \"$1\" && shift && exec \"$@\"", "sh", "/srv/demo", "/bin/sh", "-c", "node migrate.mjs"]
      }
      kill_signal  = "SIGTERM"
      kill_timeout = "5s"
    }

    task "api" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "cd \"$1\" && shift && exec \"$@\"", "sh", "/srv/demo", "node", "api.mjs"]
      }
      kill_signal  = "SIGTERM"
      kill_timeout = "5s"
      env = {
        "PORT" = "3100"
      }
    }
  }

  group "worker" {
    count = 2
    meta = {
      "app" = "demo"
      "overseer_namespace" = "workers"
    }
    restart {
      attempts = 10
      interval = "1m"
      delay    = "1s"
      mode     = "fail"
    }
    reschedule {
      attempts       = 0
      interval       = "0s"
      delay          = "30s"
      delay_function = "exponential"
      max_delay      = "1h"
      unlimited      = false
    }

    task "wait-for-api" {
      driver = "raw_exec"
      lifecycle {
        hook    = "prestart"
        sidecar = false
      }
      config {
        command = "/bin/sh"
        args    = ["-c", "until nc -z \"$DEPENDENCY_ADDR\" \"$DEPENDENCY_PORT\"; do sleep 2; done"]
      }
      kill_signal  = "SIGTERM"
      kill_timeout = "5s"
      template {
        data        = "{{ range nomadService \"api\" }}DEPENDENCY_ADDR={{ .Address }}\nDEPENDENCY_PORT={{ .Port }}{{ end }}"
        destination = "local/dependency.env"
        env         = true
      }
    }

    task "worker" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "cd \"$1\" && shift && exec \"$@\"", "sh", "/srv/demo", "node", "worker.mjs"]
      }
      kill_signal  = "SIGTERM"
      kill_timeout = "5s"
      env = {
        "PORT" = "3100"
        "OVERSEER_INSTANCE" = "${NOMAD_ALLOC_INDEX}"
      }
    }
  }

  group "cache" {
    count = 1
    meta = {
      "app" = "demo"
      "overseer_namespace" = "backend"
    }
    network {
      port "probe" { static = 3101 }
    }
    service {
      name     = "cache"
      port     = "probe"
      provider = "nomad"
      check {
        name     = "liveness"
        type     = "tcp"
        interval = "1s"
        timeout  = "1s"
        check_restart {
          limit = 2
          grace = "0s"
        }
      }
    }
    restart {
      attempts = 10
      interval = "1m"
      delay    = "200ms"
      mode     = "fail"
    }
    reschedule {
      attempts       = 0
      interval       = "0s"
      delay          = "30s"
      delay_function = "exponential"
      max_delay      = "1h"
      unlimited      = false
    }

    task "cache" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "cd \"$1\" && shift && exec \"$@\"", "sh", "/srv/demo", "node", "cache.mjs"]
      }
      kill_signal  = "SIGTERM"
      kill_timeout = "5s"
      env = {
        "CACHE_PORT" = "3101"
      }
    }
  }

  group "flaky" {
    count = 1
    meta = {
      "app" = "demo"
      "overseer_namespace" = "default"
    }
    restart {
      attempts = 3
      interval = "1m"
      delay    = "100ms"
      mode     = "fail"
    }
    reschedule {
      attempts       = 0
      interval       = "0s"
      delay          = "30s"
      delay_function = "exponential"
      max_delay      = "1h"
      unlimited      = true
    }

    task "flaky" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "cd \"$1\" && shift && exec \"$@\"", "sh", "/srv/demo", "node", "flaky.mjs"]
      }
      kill_signal  = "SIGTERM"
      kill_timeout = "5s"
    }
  }
}
