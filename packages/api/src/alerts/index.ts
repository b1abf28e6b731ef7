export { raiseAlert, listAlerts, acknowledgeAlert, type AlertInput, type AlertView } from "./raise";
