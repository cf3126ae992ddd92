/** The rows the invariants read from each service's database, as PostgreSQL returns them. */

export interface OrderRow {
  id: string;
  status: string;
  failure_reason: string | null;
  customer_id: string;
  amount_minor: string;
}

export interface PaymentRow {
  order_id: string;
  kind: string;
  status: string;
  amount_minor: string;
  customer_id: string;
}

export interface ReservationRow {
  order_id: string;
  status: string;
  items: { productId: string; quantity: number }[];
}

export interface DeliveryRow {
  order_id: string;
  status: string;
}
