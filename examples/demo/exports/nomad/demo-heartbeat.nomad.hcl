# Nomad job demo-heartbeat, exported from the overseer project demo
#
# Did not carry over:
#   - schedule.cron (heartbeat): */15 * * * * *: seconds (*/15) dropped; runs at * * * * *
job "demo-heartbeat" {
  type        = "batch"
  datacenters = ["*"]
  meta = {
    "project" = "demo"
  }
  periodic {
    crons            = ["* * * * *"]
    prohibit_overlap = true
  }

  group "heartbeat" {
    count = 1
    meta = {
      "app" = "demo"
      "overseer_namespace" = "default"
      "description" = "prints the time every 15 seconds"
    }
    restart {
      attempts = 0
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

    task "heartbeat" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "cd \"$1\" && shift && exec \"$@\"", "sh", "/srv/demo", "node", "-e", "console.log('still here at', new Date().toISOString())"]
      }
      kill_signal  = "SIGTERM"
      kill_timeout = "5s"
    }
  }
}
