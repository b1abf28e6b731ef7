export { raiseAlert, resolveAlert, listAlerts, acknowledgeAlert, type AlertInput, type AlertView } from "./raise";
export { createWebhook, listWebhooks, deleteWebhook, webhookDeliveriesOf, enqueueWebhookEvent, deliverDueWebhooks, signWebhook, WEBHOOK_BACKOFF_SECONDS } from "./webhooks";
