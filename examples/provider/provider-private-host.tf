# A private deployment whose certificate a private CA signed.
provider "authing" {
  alias             = "private"
  host              = "https://authing.example.com"
  access_key_id     = var.authing_access_key_id
  access_key_secret = var.authing_access_key_secret
  ca_file           = "/etc/ssl/private-ca.pem"
}

variable "authing_access_key_id" {
  type = string
}

variable "authing_access_key_secret" {
  type      = string
  sensitive = true
}
