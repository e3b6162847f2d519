output "load_balancer_dns" {
  value = aws_lb.main.dns_name
}

output "database_address" {
  value = aws_db_instance.main.address
}

output "redis_address" {
  value = aws_elasticache_replication_group.main.primary_endpoint_address
}

output "app_secret_arn" {
  value = aws_secretsmanager_secret.app.arn
}
