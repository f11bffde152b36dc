terraform {
  required_providers {
    authing = {
      source = "authing/authing"
    }
  }
}

# Credentials usually come from the environment:
#   AUTHING_ACCESS_KEY_ID, AUTHING_ACCESS_KEY_SECRET (and AUTHING_HOST for a private deployment).
provider "authing" {}
