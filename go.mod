module github.com/authing/terraform-provider-authing

go 1.26
