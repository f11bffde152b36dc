# Import a webhook by its webhook ID.
terraform import authing_webhook.deploy 6229ffaxxxxxxxxcade3e3d9
