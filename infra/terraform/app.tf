# One image, three roles: web (gunicorn behind the ALB), Celery worker, Celery beat (exactly one).
resource "random_password" "secret_key" {
  length  = 64
  special = false
}

resource "random_password" "metrics_token" {
  length  = 40
  special = false
}

resource "aws_secretsmanager_secret" "app" {
  name = "shopledger/${var.environment}/app"
}

resource "aws_secretsmanager_secret_version" "app" {
  secret_id = aws_secretsmanager_secret.app.id
  secret_string = jsonencode({
    SECRET_KEY            = random_password.secret_key.result
    DATABASE_URL          = "postgres://shopledger:${random_password.db.result}@${aws_db_instance.main.address}:5432/shopledger"
    REDIS_URL             = "rediss://${aws_elasticache_replication_group.main.primary_endpoint_address}:6379/0"
    SENTRY_DSN            = var.sentry_dsn
    STRIPE_SECRET_KEY     = var.stripe_secret_key
    STRIPE_WEBHOOK_SECRET = var.stripe_webhook_secret
    EMAIL_URL             = var.email_url
    METRICS_TOKEN         = random_password.metrics_token.result
  })
}

locals {
  secret_names = ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SENTRY_DSN", "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET", "EMAIL_URL", "METRICS_TOKEN"]
  environment = [
    { name = "ENVIRONMENT", value = "production" },
    { name = "BASE_DOMAIN", value = var.base_domain },
    { name = "ALLOWED_HOSTS", value = ".${var.base_domain},${var.base_domain}" },
    { name = "DB_CONN_MAX_AGE", value = "300" },
  ]
  secrets = [for name in local.secret_names : {
    name      = name
    valueFrom = "${aws_secretsmanager_secret.app.arn}:${name}::"
  }]
  roles = {
    web = {
      command = ["gunicorn", "jxc.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--max-requests", "2000",
      "--max-requests-jitter", "200", "--access-logfile", "-"]
      count = var.web_count
    }
    worker = { command = ["celery", "-A", "jxc", "worker", "--loglevel", "INFO", "-c", "4"], count = var.worker_count }
    beat   = { command = ["celery", "-A", "jxc", "beat", "--loglevel", "INFO"], count = 1 }
  }
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/shopledger/${var.environment}"
  retention_in_days = 30
}

resource "aws_iam_role" "task_execution" {
  name = "shopledger-task-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "task_execution" {
  role       = aws_iam_role.task_execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "read_secrets" {
  role = aws_iam_role.task_execution.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["secretsmanager:GetSecretValue"], Resource = [aws_secretsmanager_secret.app.arn] }]
  })
}

resource "aws_iam_role" "task" {
  name               = "shopledger-task"
  assume_role_policy = aws_iam_role.task_execution.assume_role_policy
}

resource "aws_iam_role_policy" "files" {
  role = aws_iam_role.task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
      Resource = ["${aws_s3_bucket.files.arn}/*"]
    }]
  })
}

resource "aws_ecs_cluster" "main" {
  name = "shopledger"
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_task_definition" "role" {
  for_each                 = local.roles
  family                   = "shopledger-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = each.key == "web" ? 1024 : 512
  memory                   = each.key == "web" ? 2048 : 1024
  execution_role_arn       = aws_iam_role.task_execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions = jsonencode([{
    name         = each.key
    image        = var.image
    command      = each.value.command
    essential    = true
    environment  = local.environment
    secrets      = local.secrets
    portMappings = each.key == "web" ? [{ containerPort = 8000 }] : []
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.app.name
        awslogs-region        = var.region
        awslogs-stream-prefix = each.key
      }
    }
  }])
}

resource "aws_ecs_service" "role" {
  for_each        = local.roles
  name            = each.key
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.role[each.key].arn
  desired_count   = each.value.count
  launch_type     = "FARGATE"
  # Beat must never run twice: stop the old one before starting the new one.
  deployment_minimum_healthy_percent = each.key == "beat" ? 0 : 100
  deployment_maximum_percent         = each.key == "beat" ? 100 : 200
  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.app.id]
  }
  dynamic "load_balancer" {
    for_each = each.key == "web" ? [1] : []
    content {
      target_group_arn = aws_lb_target_group.web.arn
      container_name   = "web"
      container_port   = 8000
    }
  }
}
