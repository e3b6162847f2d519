variable "region" {
  type    = string
  default = "ap-east-1"
}

variable "environment" {
  type    = string
  default = "production"
}

variable "base_domain" {
  description = "Shops live at {slug}.<base_domain>; the public site and console at the bare domain."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route 53 zone that holds base_domain."
  type        = string
}

variable "image" {
  description = "Container image of the application (same image for web, worker and beat)."
  type        = string
}

variable "web_count" {
  type    = number
  default = 2
}

variable "worker_count" {
  type    = number
  default = 2
}

variable "db_instance_class" {
  type    = string
  default = "db.t4g.medium"
}

variable "redis_node_type" {
  type    = string
  default = "cache.t4g.small"
}

variable "sentry_dsn" {
  type      = string
  default   = ""
  sensitive = true
}

variable "stripe_secret_key" {
  type      = string
  default   = ""
  sensitive = true
}

variable "stripe_webhook_secret" {
  type      = string
  default   = ""
  sensitive = true
}

variable "email_url" {
  type      = string
  default   = ""
  sensitive = true
}
